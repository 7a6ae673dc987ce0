"""Team blueprint packs: copier templates that add files and sections to plans."""
