"""The published outcomes page: registry figures for the public, dated, small cells hidden."""
