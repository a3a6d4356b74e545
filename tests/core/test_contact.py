"""Contact lines become links: dialable numbers, WhatsApp digits, a map search."""

from __future__ import annotations

from stride.core.contact import PhoneLine, map_search_link, phone_line, whatsapp_link


def test_a_phone_line_keeps_its_note_and_dials_plus_and_digits() -> None:
    assert phone_line("+359 2 000 0000 (international office)") == PhoneLine(
        shown="+359 2 000 0000", dial="+35920000000", note="international office")
    assert phone_line("00359-2-000-0001") == PhoneLine(shown="00359-2-000-0001",
                                                       dial="+35920000001", note="")
    assert phone_line("02 000 0000").dial == "020000000"


def test_a_line_without_a_dialable_number_gets_no_link() -> None:
    assert phone_line("ask at the desk").dial == ""
    assert phone_line("123 (too short)") == PhoneLine(shown="123", dial="",
                                                      note="too short")
    assert phone_line("+1 234 567 890 123 456 789").dial == ""  # longer than E.164


def test_whatsapp_takes_the_digits_alone() -> None:
    assert whatsapp_link("+359 88 000 0000") == "https://wa.me/359880000000"
    assert whatsapp_link("00359 88 000 0000") == "https://wa.me/359880000000"
    assert whatsapp_link("12 34") == ""
    assert whatsapp_link("") == ""
    # Digits of other scripts are not dialled (a link must ring the number shown).
    assert whatsapp_link("٠٠٩٦٦١٢٣٤٥٦٧") == ""


def test_the_map_link_searches_the_address_and_country() -> None:
    assert map_search_link(["1 Example Street", "  1000   Sofia "], "Bulgaria") == (
        "https://www.openstreetmap.org/search?query=1%20Example%20Street%2C%201000%20Sofia"
        "%2C%20Bulgaria")
    assert map_search_link([], "Bulgaria") == ""
    assert map_search_link(["a&b=c"]) == "https://www.openstreetmap.org/search?query=a%26b%3Dc"


def test_a_longest_number_written_with_00_is_still_dialled() -> None:
    # 15 digits (the E.164 most) after the 00 international prefix: 17 digits typed.
    assert phone_line("00 123 456 789 012 345").dial == "+123456789012345"
    assert whatsapp_link("00 123 456 789 012 345") == "https://wa.me/123456789012345"
