"""Standard vocabulary values of CBV 2.0 and the GS1 Web Vocabulary, in all their spellings.

A standard value may be written bare (``shipping``, the JSON-LD form), as a CURIE
(``cbv:BizStep-shipping``), as a CBV Web URI (``https://ref.gs1.org/cbv/BizStep-shipping``) or as
an EPCIS 1.x URN (``urn:epcglobal:cbv:bizstep:shipping``, the form EPCIS 2.0 XML still uses).
``normalise_vocab`` maps every spelling of a known word to the bare word and leaves anything else
(a company's own vocabulary URI) unchanged; ``cbv_uri`` goes the other way.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CBV", "GS1_VOC", "VOCAB_KINDS", "cbv_uri", "expand_bare", "normalise_vocab"]

CBV = "https://ref.gs1.org/cbv/"
GS1_VOC = "https://gs1.org/voc/"

_BIZ_STEPS = (
    "accepting arriving assembling collecting commissioning consigning creating_class_instance "
    "cycle_counting decommissioning departing destroying disassembling dispensing encoding "
    "entering_exiting holding inspecting installing killing loading other packing picking "
    "receiving removing repackaging repairing replacing reserving retail_selling sampling "
    "sensor_reporting shipping staging_outbound stock_taking stocking storing transporting "
    "unloading unpacking void_shipping"
)
_DISPOSITIONS = (
    "active available completeness_inferred completeness_verified conformant container_closed "
    "container_open damaged destroyed dispensed disposed encoded expired in_progress in_transit "
    "inactive mismatch_class mismatch_instance mismatch_quantity needs_replacement "
    "no_pedigree_match non_conformant non_sellable_other partially_dispensed recalled reserved "
    "retail_sold returned sellable_accessible sellable_not_accessible stolen unavailable unknown"
)
_BIZ_TRANSACTION_TYPES = (
    "bol cert desadv inv pedigree po poc prodorder recadv rma testprd testres upevt"
)
_SOURCE_DEST_TYPES = "location owning_party possessing_party"
_ERROR_REASONS = "did_not_occur incorrect_data"
_COMPONENTS = (
    "altitude axial_distance azimuth easting elevation_angle height latitude longitude northing "
    "polar_angle spherical_radius x y z"
)
_MEASUREMENT_TYPES = (
    "AbsoluteHumidity AbsorbedDose AbsorbedDoseRate Acceleration Altitude AmountOfSubstance "
    "AmountOfSubstancePerUnitVolume Angle AngularAcceleration AngularMomentum AngularVelocity Area "
    "Capacitance Conductance Conductivity Count Density Dimensionless DoseEquivalent "
    "DoseEquivalentRate DynamicViscosity ElectricCharge ElectricCurrent ElectricCurrentDensity "
    "ElectricFieldStrength Energy Exposure Force Frequency Illuminance Inductance Irradiance "
    "KinematicViscosity Length LinearMomentum Luminance LuminousFlux LuminousIntensity "
    "MagneticFlux MagneticFluxDensity MagneticVectorPotential Mass MassConcentration MassFlowRate "
    "MassPerAreaTime MemoryCapacity MolalityOfSolute MolarEnergy MolarMass MolarVolume Power "
    "Pressure Radioactivity RadiantFlux RadiantIntensity RelativeHumidity Resistance Resistivity "
    "SolidAngle SpecificVolume Speed SurfaceDensity SurfaceTension Temperature Time Torque Voltage "
    "Volume VolumeFlowRate VolumeFraction VolumetricFlux Wavenumber"
)
_ALERT_TYPES = "ALARM_CONDITION ERROR_CONDITION"


@dataclass(frozen=True)
class _Vocab:
    """One vocabulary: its words, the Web URI namespace + term prefix, and the 1.x URN stem."""

    words: frozenset[str]
    web: str  # e.g. "https://ref.gs1.org/cbv/BizStep-"
    urn: str | None  # e.g. "urn:epcglobal:cbv:bizstep:"


def _cbv(words: str, term: str, urn: str | None) -> _Vocab:
    return _Vocab(frozenset(words.split()), f"{CBV}{term}-", urn)


_VOCABS: dict[str, _Vocab] = {
    "bizStep": _cbv(_BIZ_STEPS, "BizStep", "urn:epcglobal:cbv:bizstep:"),
    "disposition": _cbv(_DISPOSITIONS, "Disp", "urn:epcglobal:cbv:disp:"),
    "bizTransactionType": _cbv(_BIZ_TRANSACTION_TYPES, "BTT", "urn:epcglobal:cbv:btt:"),
    "sourceDestType": _cbv(_SOURCE_DEST_TYPES, "SDT", "urn:epcglobal:cbv:sdt:"),
    "errorReason": _cbv(_ERROR_REASONS, "ER", "urn:epcglobal:cbv:er:"),
    "component": _cbv(_COMPONENTS, "Comp", None),
    "sensorMeasurementType": _Vocab(frozenset(_MEASUREMENT_TYPES.split()), GS1_VOC, None),
    "sensorAlertType": _Vocab(frozenset(_ALERT_TYPES.split()), GS1_VOC, None),
}
_ALIASES = {
    "bizTransaction": "bizTransactionType",
    "source": "sourceDestType",
    "destination": "sourceDestType",
    "sourceType": "sourceDestType",
    "destinationType": "sourceDestType",
    "reason": "errorReason",
    "persistentDisposition": "disposition",
    "measurementType": "sensorMeasurementType",
    "exception": "sensorAlertType",
}
VOCAB_KINDS = frozenset(_VOCABS)
_CURIES = {"cbv:": CBV, "gs1:": GS1_VOC}
_OLD_WEB = ("https://gs1.org/voc/", "http://gs1.org/voc/", "https://ns.gs1.org/voc/")


def _vocab(kind: str) -> _Vocab:
    try:
        return _VOCABS[_ALIASES.get(kind, kind)]
    except KeyError:
        known = ", ".join(sorted(_VOCABS))
        raise ValueError(f"unknown vocabulary kind {kind!r} (known: {known})") from None


def _expand_curie(value: str) -> str:
    for prefix, base in _CURIES.items():
        if value.startswith(prefix):
            return base + value[len(prefix) :]
    return value


def _word_of(vocab: _Vocab, value: str) -> str | None:
    """The bare word ``value`` spells in ``vocab``, or None."""
    if value in vocab.words:
        return value
    full = _expand_curie(value)
    candidates = [vocab.web]
    if vocab.web.startswith(CBV):
        term = vocab.web[len(CBV) :]
        candidates += [base + term for base in _OLD_WEB]
    if vocab.urn:
        candidates.append(vocab.urn)
    for stem in candidates:
        if full[: len(stem)].lower() == stem.lower():
            word = full[len(stem) :]
            if word in vocab.words:
                return word
    return None


def normalise_vocab(kind: str, value: str) -> str:
    """The bare CBV / GS1 word for any spelling of a standard value; other values unchanged.

    ``kind`` is one of ``bizStep``, ``disposition``, ``bizTransactionType``, ``sourceDestType``,
    ``errorReason``, ``component``, ``sensorMeasurementType``, ``sensorAlertType`` (a few field
    names are accepted as aliases). Leading and trailing whitespace is removed.
    """
    vocab = _vocab(kind)
    text = value.strip()
    word = _word_of(vocab, text)
    return word if word is not None else text


def cbv_uri(kind: str, bare: str, *, web: bool = False) -> str:
    """The URI of a standard value: the URN EPCIS 2.0 XML uses, or the Web URI with ``web=True``.

    Values that are not standard words (after normalisation) are returned unchanged. Vocabularies
    without a URN form (components, GS1 sensor vocabularies) always give the Web URI.
    """
    vocab = _vocab(kind)
    word = _word_of(vocab, bare.strip())
    if word is None:
        return bare.strip()
    if web or vocab.urn is None:
        return vocab.web + word
    return vocab.urn + word


def expand_bare(kind: str, value: str) -> str:
    """The Web URI of a standard value in any spelling, or the value itself (hashing form)."""
    return cbv_uri(kind, value, web=True)
