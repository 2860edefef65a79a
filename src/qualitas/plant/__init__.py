"""Plant master data: ISA-95 hierarchy, equipment, gauges, items and BOMs, characteristics,
suppliers and customers."""
