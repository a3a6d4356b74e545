"""Form validators that ask core, so a form refuses what a service would refuse, in words."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from stride.core.demographics import check_name
from stride.core.errors import InvalidValue
from stride.web.platform.messages import field_message


def person_name(value: str) -> None:
    """Refuse a name core refuses (control or direction characters), next to the field.

    Raises
    ------
    ValidationError
        With the translated sentence for core's rule.
    """
    try:
        check_name("name", value)
    except InvalidValue as error:
        raise ValidationError(field_message(error), code=error.rule or error.code) from None
