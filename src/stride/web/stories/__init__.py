"""Family stories: drafted, approved by the family, checked by a clinician, published."""
