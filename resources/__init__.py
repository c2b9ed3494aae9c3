"""Files graphstage ships beside its code: the style sheet, icons and example graphs."""
