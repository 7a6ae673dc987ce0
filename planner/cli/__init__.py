"""The command line: an argparse shell over the library, one module per command."""
