"""Filling the public inquiry form in a browser, shared by the family browser tests.

Fields are found by id and value, not by label, so the same steps work in every language.
"""

from __future__ import annotations

from playwright.sync_api import Page

from tests.web.files import MP4, PDF, png

TREATMENTS = ("botulinum_toxin", "orthopaedic_surgery", "sdr", "baclofen_pump", "cell_therapy")


def check(page: Page, name: str, value: str) -> None:
    """Tick the radio button or checkbox ``name`` with ``value``."""
    page.locator(f'input[name="{name}"][value="{value}"]').check()


def fill_inquiry(page: Page, *, family_name: str, email: str, files: bool = True,
                 medical_document: bool = False) -> None:
    """Fill every required field (and, with ``files``, an MRI PDF and a walking video; with
    ``medical_document``, a clinic letter as a PNG too)."""
    page.locator("#id_child_given_name").fill("Synthetic")
    page.locator("#id_child_family_name").fill(family_name)
    page.locator("#id_date_of_birth").fill("2019-05-17")
    check(page, "sex", "male")
    page.locator("#id_country").select_option("SA")
    check(page, "languages", "ar")
    page.locator("#id_guardian_given_name").fill("Parent")
    page.locator("#id_guardian_family_name").fill(family_name)
    page.locator("#id_relationship").select_option("father")
    page.locator("#id_email").fill(email)
    check(page, "programme", "sdr")
    check(page, "lay_cp_type", "spastic")
    check(page, "affected_sides", "both-sides")
    check(page, "gmfcs_estimate", "2")
    check(page, "seizures", "never")
    check(page, "hydrocephalus", "no")
    for treatment in TREATMENTS:
        check(page, f"treatment_{treatment}", "never")
    check(page, "goals", "walking")
    if files:
        page.locator("#id_mri_report").set_input_files(
            files=[{"name": "mri.pdf", "mimeType": "application/pdf", "buffer": PDF}])
        page.locator("#id_walking_video").set_input_files(
            files=[{"name": "walk.mp4", "mimeType": "video/mp4", "buffer": MP4}])
    if medical_document:
        page.locator("#id_medical_documents").set_input_files(
            files=[{"name": "clinic-letter.png", "mimeType": "image/png", "buffer": png()}])
    page.locator("#id_consent_data_processing").check()
    page.locator("#id_consent_cross_border").check()


def submit_inquiry(page: Page) -> None:
    """Press the form's send button."""
    page.locator("form.inquiry-form button[type=submit]").click()
