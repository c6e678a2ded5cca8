"""Signals columns sends, for the apps whose rows hang on pages."""

from django.dispatch import Signal

# While a township folds into its county (columns.folding), once its pages exist in the county's
# schema (the current one): apps copy the rows that belong to those pages. source=township GovSite,
# target=county GovSite, fold=tenants.actions.folding.Fold (fold.page_ids maps old page ids to new).
pages_copied = Signal()
