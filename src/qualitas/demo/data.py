"""The demo plant as data (no logic): edit here to change what `qualitas demo` loads."""

from __future__ import annotations

ENTERPRISE = ("ACME", "Acme Precision Components")

# site code, name, areas: (code, name, line code, line name, stations)
SITES = [
    (
        "SUZ",
        "Suzhou Plant",
        [
            (
                "MACH",
                "Machining",
                "L1",
                "CNC Line 1",
                ["OP10 Turning", "OP20 Milling", "OP30 Deburring"],
            ),
            (
                "ASSY",
                "Assembly",
                "L2",
                "Assembly Line 2",
                ["OP40 Press-fit", "OP50 Torque", "OP60 Leak test"],
            ),
        ],
    ),
    (
        "STR",
        "Stuttgart Plant",
        [
            (
                "MOLD",
                "Moulding",
                "L3",
                "Injection Line 3",
                ["OP10 Moulding", "OP20 Trimming", "OP30 Vision"],
            ),
            (
                "PACK",
                "Final Assembly",
                "L4",
                "Final Line 4",
                ["OP40 Welding", "OP50 Marking", "OP60 Final test"],
            ),
        ],
    ),
]

# per site: materials (code, name, unit)
MATERIALS = {
    "SUZ": [
        ("M-AL6061", "Aluminium bar 6061-T6", "kg"),
        ("M-STL42", "Steel 42CrMo4 blank", "pcs"),
        ("M-ORING", "O-ring FKM 24x2", "pcs"),
        ("M-BOLT8", "Bolt M8x25 10.9", "pcs"),
        ("M-SEAL", "Shaft seal 30x47x7", "pcs"),
    ],
    "STR": [
        ("M-PA66", "PA66-GF30 granulate", "kg"),
        ("M-PCB", "Sensor PCB rev C", "pcs"),
        ("M-CONN", "Connector 4-pin", "pcs"),
        ("M-LABEL", "Laser label", "pcs"),
        ("M-GASK", "Silicone gasket", "pcs"),
    ],
}

# per site: products (code, name, [(component code, qty)]) — sub-assemblies listed first
PRODUCTS: dict[str, list[tuple[str, str, list[tuple[str, float]]]]] = {
    "SUZ": [
        ("P-HSG-100", "Pump housing machined", [("M-AL6061", 1.8)]),
        ("P-SHF-200", "Drive shaft", [("M-STL42", 1)]),
        ("P-CAP-300", "End cap", [("M-AL6061", 0.4), ("M-ORING", 1)]),
        (
            "P-PMP-400",
            "Oil pump assembly",
            [("P-HSG-100", 1), ("P-SHF-200", 1), ("P-CAP-300", 1), ("M-BOLT8", 6), ("M-SEAL", 1)],
        ),
        (
            "P-PMP-410",
            "Oil pump assembly HD",
            [("P-HSG-100", 1), ("P-SHF-200", 1), ("P-CAP-300", 2), ("M-BOLT8", 8), ("M-SEAL", 2)],
        ),
    ],
    "STR": [
        ("P-BDY-500", "Sensor body moulded", [("M-PA66", 0.12)]),
        ("P-CVR-600", "Sensor cover", [("M-PA66", 0.05), ("M-GASK", 1)]),
        (
            "P-SEN-700",
            "Pressure sensor",
            [("P-BDY-500", 1), ("P-CVR-600", 1), ("M-PCB", 1), ("M-CONN", 1)],
        ),
        ("P-SEN-710", "Pressure sensor, marked", [("P-SEN-700", 1), ("M-LABEL", 1)]),
        ("P-SEN-720", "Pressure sensor kit", [("P-SEN-710", 2), ("M-CONN", 2)]),
    ],
}

# characteristic templates per product: (suffix, name, kind, unit, nominal, lsl, usl, class, gauge)
# GS1 GTINs of the finished products (their units get GS1 Digital Link keys and public pages)
# and of the pump housing traded to Stuttgart under its own item.
GTINS = {
    "P-PMP-400": "04012345000016",
    "P-PMP-410": "04012345000023",
    "P-SEN-710": "04012345000030",
    "P-SEN-720": "04012345000047",
    "T-HSG-100": "04012345000054",
}
TRADED = {"STR": [("T-HSG-100", "Pump housing (from Suzhou)", "pcs")]}

Spec = tuple[str, str, str, str | None, float | None, float | None, float | None, str, str]
CHARACTERISTICS: list[Spec] = [
    ("D1", "Bore diameter", "variable", "mm", 25.0, 24.985, 25.015, "CC", "Bore gauge"),
    ("L1", "Overall length", "variable", "mm", 120.0, 119.8, 120.2, "SC", "Height gauge"),
    ("RA", "Surface roughness Ra", "variable", "µm", None, None, 0.8, "none", "Profilometer"),
    ("TQ", "Tightening torque", "variable", "N·m", 24.0, 22.0, 26.0, "SC", "Torque analyser"),
    ("LK", "Leak rate", "variable", "mbar·l/s", None, None, 0.05, "CC", "Leak tester"),
    ("VI", "Visual defects", "attribute", None, None, None, None, "none", "Visual"),
]

SUPPLIERS = {
    "SUZ": [
        ("S-1001", "Jiangsu Alu Extrusion Co.", "CN", "approved"),
        ("S-1002", "Wuxi Special Steel", "CN", "approved"),
        ("S-1003", "Freudenberg Sealing (Changchun)", "CN", "conditional"),
        ("S-1004", "Bossard Fasteners Shanghai", "CN", "approved"),
    ],
    "STR": [
        ("S-2001", "BASF Performance Materials", "DE", "approved"),
        ("S-2002", "Würth Elektronik", "DE", "approved"),
        ("S-2003", "TE Connectivity", "CH", "approved"),
        ("S-2004", "Laserline Labels GmbH", "DE", "disqualified"),
    ],
}

CUSTOMERS = {
    "SUZ": [
        ("C-01", "SAIC Powertrain", "CN"),
        ("C-02", "Geely Engines", "CN"),
        ("C-03", "Weichai Power", "CN"),
    ],
    "STR": [("C-11", "Bosch Mobility", "DE"), ("C-12", "ZF Friedrichshafen", "DE")],
}

# per site: (code suffix, name, type, unit, min, max, resolution, interval days, age days)
GAUGES = [
    ("BG-25", "Bore gauge 25 mm", "Bore gauge", "mm", 20, 30, 0.001, 180, 30),
    ("HG-600", "Height gauge 600", "Height gauge", "mm", 0, 600, 0.01, 365, 100),
    ("PR-01", "Profilometer", "Profilometer", "µm", 0, 10, 0.01, 365, 200),
    ("TA-50", "Torque analyser 50", "Torque analyser", "N·m", 0, 50, 0.1, 180, 190),
    ("LT-01", "Leak tester", "Leak tester", "mbar·l/s", 0, 1, 0.001, 90, 40),
    ("CAL-150", "Digital caliper 150", "Caliper", "mm", 0, 150, 0.01, 365, 400),
    ("MIC-25", "Micrometer 0-25", "Micrometer", "mm", 0, 25, 0.001, 365, 10),
    ("CMM-1", "Coordinate measuring machine", "CMM", "mm", 0, 1000, 0.0005, 365, 120),
]

EQUIPMENT_KINDS = {
    "Turning": "CNC lathe",
    "Milling": "Machining centre",
    "Deburring": "Deburring cell",
    "Press-fit": "Servo press",
    "Torque": "Nutrunner",
    "Leak": "Leak test bench",
    "Moulding": "Injection moulding machine",
    "Trimming": "Trimming press",
    "Vision": "Vision system",
    "Welding": "Ultrasonic welder",
    "Marking": "Laser marker",
    "Final": "End-of-line tester",
}

# username, full name, role, site code (None = all sites), password
USERS = [
    ("admin", "Ada Admin", "admin", None, "Demo-Root-Key-2026!"),
    ("qm", "Quinn Manager", "quality_manager", None, "Demo-QM-2026-Qual!"),
    ("qe.a", "Li Wei (QE Suzhou)", "quality_engineer", "SUZ", "Demo-QE-A-2026!"),
    ("qe.b", "Jonas Becker (QE Stuttgart)", "quality_engineer", "STR", "Demo-QE-B-2026!"),
    ("insp.a", "Zhang Min (Inspector)", "inspector", "SUZ", "Demo-Insp-A-2026!"),
    ("op.a", "Chen Jie (Operator)", "operator", "SUZ", "Demo-Oper-A-2026!"),
    ("vendor", "Supplier Portal User", "supplier", "SUZ", "Demo-Portal-2026!!"),
    ("audit", "Alex Auditor", "auditor", None, "Demo-Review-2026!!"),
]

# Live SPC in the demo: (characteristic code, chart, subgroup size, disturbance, gauge code)
# Disturbances start counting when the simulator starts (one tick per second).
SPC_SCENARIOS: list[tuple[str, str, int, dict[str, float], str | None]] = [
    ("P-PMP-400-D1", "xbar", 5, {"shift_at": 20, "shift_size": 1.6}, "SUZ-BG-25"),
    ("P-PMP-400-L1", "xbar.one", 1, {"drift_from": 10, "drift_rate": 0.12}, "SUZ-HG-600"),
    ("P-PMP-400-TQ", "xbar.one", 1, {"gauge_bias_from": 5, "gauge_bias_rate": 0.1}, "SUZ-TA-50"),
    ("P-HSG-100-D1", "xbar", 5, {}, "SUZ-BG-25"),
    ("P-SEN-700-LK", "xbar.one", 1, {}, "STR-LT-01"),
    ("P-SEN-700-L1", "xbar.one", 1, {"shift_at": 40, "shift_size": 3.5}, "STR-HG-600"),
]
REACTION_PLAN = (
    "1. Stop the operation and tag the parts made since the last good check. "
    "2. Re-measure with a second, calibrated gauge. "
    "3. Inform the shift leader and the quality engineer. "
    "4. Quarantine the suspect lot until the cause is found."
)
