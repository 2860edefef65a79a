"""A realistic demo plant: two sites, lines, stations, products with BOMs, characteristics."""
