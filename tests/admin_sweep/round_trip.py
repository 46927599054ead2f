"""An object's admin change form sent back as a browser would, without touching anything: what
an editor does who opens a stored object and presses Save. Whatever the application stored must
pass (tests/ingest/test_imported_drafts_editable.py)."""

from __future__ import annotations

from .support import page_forms


def change_url(obj) -> str:
    from django.urls import reverse

    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def change_form(client, obj) -> dict:
    """The fields of ``obj``'s change form, as the page fills them in."""
    url = change_url(obj)
    page = client.get(url)
    assert page.status_code == 200, f"{url} answered {page.status_code}"
    forms = [fields for _action, fields, _text in page_forms(page.content, url) if "_save" not in fields]
    forms = [fields for fields in forms if "csrfmiddlewaretoken" in fields and len(fields) > 2]
    assert len(forms) == 1, f"{url}: expected one change form, found {len(forms)}"
    return forms[0]


def form_errors(response) -> dict:
    """{field: [messages]} of the admin form a response shows again (inlines included)."""
    context = response.context
    if context is None or "adminform" not in context:
        return {"(page)": [f"status {response.status_code}"]}
    errors = {name: list(messages) for name, messages in context["adminform"].form.errors.items()}
    for formset in context.get("inline_admin_formsets", []):
        for index, inline_errors in enumerate(formset.formset.errors):
            errors.update({f"{formset.formset.prefix}-{index}-{name}": list(m) for name, m in inline_errors.items()})
        errors.update({f"{formset.formset.prefix}": list(formset.formset.non_form_errors())} if
                      formset.formset.non_form_errors() else {})
    return errors


def save_unchanged(client, obj) -> dict:
    """Open ``obj``'s change form and save it as it is; the form's errors ({} when it saved)."""
    fields = change_form(client, obj)
    response = client.post(change_url(obj), fields)
    return {} if response.status_code == 302 else form_errors(response)
