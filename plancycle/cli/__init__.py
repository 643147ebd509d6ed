"""The command-line skin: parses arguments, calls the core, prints. No logic lives here."""
