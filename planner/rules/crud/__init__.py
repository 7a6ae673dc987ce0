"""Rules of the crud-resource kind: the resource's data and its HTTP side."""
