"""The ground floor under every other package: settings, the calendar and quarters, the warehouse file, the
palette, and cells safe for spreadsheets. It imports nothing of the project."""
