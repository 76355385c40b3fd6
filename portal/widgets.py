"""Form fields rendered cheaply: the markup WTForms' own widgets write for text-like inputs,
selects and text areas, built with plain string operations.

WTForms formats every attribute and every option through markupsafe's Markup.format; on the
dossier that was a sixth of the page's time. The output here is the same to the character:
tests/test_widgets.py compares it with WTForms for every kind of field and attribute, and
on every page the demo users reach. Any widget not handled here (check boxes, radio lists,
file inputs, grouped selects, a field's own widget) is still rendered by WTForms itself.
"""

from __future__ import annotations

from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.fields.choices import Choice


def _attribute_name(name: str) -> str:
    """class_ and for_ lose their "_"; data_ and aria_ names take hyphens."""
    name = name.rstrip("_")
    return name.replace("_", "-") if name.startswith(("data_", "aria_")) else name


def attributes(**values) -> str:
    """HTML attributes as WTForms writes them: sorted by name, names as _attribute_name
    makes them, True as the bare name, False left out, names and values escaped (a double
    quote in a safe value too)."""
    parts = []
    for name, value in sorted(values.items()):
        name = _attribute_name(name)
        if value is True:
            parts.append(name)
        elif value is not False:
            parts.append(f'{escape(name)}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return " ".join(parts)


def _flag_attributes(widget, field, given: dict, *, call_values: bool = False) -> None:
    """The field's validation flags (required, maxlength...) that the widget shows as
    attributes, unless the template gave them itself."""
    flags = getattr(getattr(field, "flags", None), "__dict__", {})
    for name in widget.validation_attrs:
        if name in flags and name not in given:
            value = flags[name]
            given[name] = value() if call_values and callable(value) else value


def _hidden_password(widget, _field, given: dict) -> None:
    if widget.hide_value:
        given["value"] = ""


def _number_bounds(widget, _field, given: dict) -> None:
    for name in ("step", "min", "max"):
        if getattr(widget, name) is not None:
            given.setdefault(name, getattr(widget, name))


def _date_bounds(_widget, field, given: dict) -> None:
    """A date's min and max (given, or from its validators) in the field's own format."""
    shape = getattr(field, "format", None)
    if shape is None:
        return
    shape = shape[0] if isinstance(shape, list) else shape
    for name in ("min", "max"):
        value = given.get(name, getattr(getattr(field, "flags", None), name, None))
        value = value() if callable(value) else value
        if hasattr(value, "strftime"):
            given[name] = value.strftime(shape)


# What an input widget adds before the common <input> (keyed by the widget's __call__, so
# a widget with any other behaviour of its own is left to WTForms).
INPUT_STEPS = {widgets.Input.__call__: None,
               widgets.PasswordInput.__call__: _hidden_password,
               widgets.NumberInput.__call__: _number_bounds,
               widgets.DateInput.__call__: _date_bounds}


def _input(widget, field, given: dict) -> str | None:
    if getattr(field, "_datalist", None) is not None:
        return None
    step = INPUT_STEPS[type(widget).__call__]
    if step is not None:
        step(widget, field, given)
    given.setdefault("id", field.id)
    given.setdefault("type", widget.input_type)
    if "value" not in given:
        given["value"] = field._value()
    _flag_attributes(widget, field, given, call_values=True)
    return f"<input {attributes(name=field.name, **given)}>"


def _text_area(widget, field, given: dict) -> str:
    given.setdefault("id", field.id)
    _flag_attributes(widget, field, given)
    text = escape(field._value())
    return f"<textarea {attributes(name=field.name, **given)}>\r\n{text}</textarea>"


def _option(choice: Choice) -> str:
    value = str(choice.value) if isinstance(choice.value, bool) else choice.value
    shown = {"value": value, **(choice.render_kw or {})}
    if choice.selected:
        shown["selected"] = True
    return f"<option {attributes(**shown)}>{escape(choice.label or choice.value)}</option>"


def _select(widget, field, given: dict) -> str | None:
    if field.has_groups():
        return None
    choices = list(field.iter_choices())
    if not all(isinstance(choice, Choice) for choice in choices):
        return None
    given.setdefault("id", field.id)
    if widget.multiple:
        given["multiple"] = True
    _flag_attributes(widget, field, given)
    options = "".join(_option(choice) for choice in choices)
    return f"<select {attributes(name=field.name, **given)}>{options}</select>"


def _renderer(widget):
    kind = type(widget)
    if kind is widgets.Select:
        return _select
    if kind is widgets.TextArea:
        return _text_area
    if isinstance(widget, widgets.Input) and kind.__call__ in INPUT_STEPS:
        return _input
    return None


def render_field(field, given: dict) -> Markup:
    """The field's HTML with the template's attributes over its own render_kw (the hook
    of Meta.render_field); WTForms' widget where this module does not write the same
    markup itself."""
    shown = {_attribute_name(name): value for name, value in (field.render_kw or {}).items()}
    shown.update({_attribute_name(name): value for name, value in given.items()})
    renderer = _renderer(field.widget)
    html = renderer(field.widget, field, dict(shown)) if renderer else None
    if html is None:
        return field.widget(field, **shown)
    return Markup(html)  # noqa: S704 - every name, value and label in it was escaped above
