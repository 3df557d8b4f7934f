"""The project's form renderer: Django's own templates, with our field and form layout
(label above the input, help text and errors tied to it by aria-describedby, optional
fields marked)."""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    form_template_name = "core/forms/form.html"
    field_template_name = "core/forms/field.html"
