"""Audit for the Django admin: every add, change and delete made there leaves an audit event, like a service's.

Most admin saves go through the app's services, which write their own events (`ServiceAdmin`);
deletes, and the few records no service covers (a person's profile, user accounts), are written by the admin
itself. `AuditedAdmin` records those, inside the admin's own transaction, with the signed-in administrator as the
actor: `<model>.created`, `<model>.updated` (the changed fields, before and after) and `<model>.deleted` (the
fields as they were). `tests/test_admin_audit.py` fails when a registered admin that writes does without it.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from .audit import audit_record, changes_between, snapshot
from .forms import add_service_errors

HIDDEN = "(not shown)"


class AuditedAdmin(admin.ModelAdmin):
    """Writes one audit event per partnership (`audit_partnerships`) for each record the admin adds, changes or
    deletes, including bulk "delete selected" and inline rows. Custom actions must call a service, which writes
    the event; an admin that saves through services sets `saves_through_services` and leaves `save_model` empty."""

    saves_through_services = False
    audit_hidden_fields: tuple[str, ...] = ("password",)  # recorded as changed, never with their values

    def audit_partnerships(self, obj, *, before: dict | None = None) -> list[int | None]:
        """The partnerships whose history shows a change to `obj` (`before` holds its old field values): by default
        the record's own `partnership_id`, or none. Admins of shared records (organisations, profiles) override
        this to name every partnership that lists them, as their services do."""
        return [getattr(obj, "partnership_id", None)]

    def audit(self, request, obj, verb: str, *, before: dict | None = None, after: dict | None = None) -> None:
        """Record `verb` (created, updated, deleted) on `obj`, once per partnership."""
        if verb == "deleted":
            changes = {name: [value, None] for name, value in (before or {}).items()}
        else:
            changes = changes_between(before or {}, after or {})
        changes = _hide(changes, self.audit_hidden_fields)
        if verb == "updated" and not changes:
            return
        label = obj._meta.verbose_name
        described = f": {', '.join(changes)}" if verb == "updated" else ""
        for partnership_id in sorted(set(self.audit_partnerships(obj, before=before)), key=lambda pk: pk or 0):
            audit_record(
                actor=request.user,
                action=f"{obj._meta.model_name}.{verb}",
                target=obj,
                summary=f"{label[:1].upper()}{label[1:]} {verb} in the admin: {obj}{described}",
                changes=changes,
                partnership_id=partnership_id,
            )

    def save_model(self, request, obj, form, change):
        """Save, keeping the record's values before the form changed them; the event is written once the inlines
        and many-to-many fields are saved too (`save_related`), in the same transaction."""
        obj._audit_before = audit_values(saved_copy(obj)) if change else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = getattr(obj, "_audit_before", {})
        self.audit(request, obj, "updated" if change else "created", before=before, after=audit_values(obj))

    def delete_model(self, request, obj):
        self.audit(request, obj, "deleted", before=audit_values(obj))
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        """The "delete selected" action: one event per record, and the events and deletes in one transaction (the
        changelist, unlike the delete page, runs actions outside one)."""
        for obj in queryset:
            self.audit(request, obj, "deleted", before=audit_values(obj))
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        """Inline rows: an event for each row added, changed or deleted."""
        deleted = [row.instance for row in formset.deleted_forms if row.instance.pk is not None]
        for obj in deleted:
            self.audit(request, obj, "deleted", before=audit_values(obj))
        changed = [
            row.instance for row in formset.initial_forms if row.has_changed() and row not in formset.deleted_forms
        ]
        before = {obj.pk: audit_values(saved_copy(obj)) for obj in changed}
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            self.audit(request, obj, "created", after=audit_values(obj))
        for obj, _fields in formset.changed_objects:
            self.audit(request, obj, "updated", before=before.get(obj.pk, {}), after=audit_values(obj))


def changed_fields(form, names) -> dict:
    """The submitted values of the fields the admin form says were changed, limited to `names`."""
    return {name: form.cleaned_data[name] for name in form.changed_data if name in names}


def saved_copy(obj):
    """The saved row, not the admin form's copy (which it has already changed), so the service sees the before."""
    return type(obj)._default_manager.get(pk=obj.pk)


def each_through_service(request, queryset, action, done: str) -> None:
    """Run `action` on each selected record through its service; report what worked and what was refused."""
    succeeded, refused = 0, []
    for record in queryset:
        try:
            with transaction.atomic():
                action(record)
        except (ValidationError, PermissionDenied) as error:
            refused.append(f"{record}: {' '.join(getattr(error, 'messages', [str(error)]))}")
        else:
            succeeded += 1
    if succeeded:
        messages.success(request, f"{done}: {succeeded}.")
    for message in refused:
        messages.error(request, message)


class ServiceAdmin(AuditedAdmin):
    """Saves through an app's services (`save_through_service`). The service runs while the admin form is
    validated (inside the admin's transaction), so a refusal shows on the form like any other error and nothing
    is written; once the form is valid the record is already saved, with its audit record, and the admin only
    logs it. Deletes, which no service covers, are audited by `AuditedAdmin`."""

    saves_through_services = True

    def save_through_service(self, request, obj, form, change):
        """Call the create or update service; return the saved record."""
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ServiceForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                if self.errors:
                    return
                try:
                    saved = model_admin.save_through_service(request, self.instance, self, change)
                except ValidationError as error:
                    add_service_errors(self, error)
                else:
                    self.instance.pk = saved.pk

        return ServiceForm

    def save_model(self, request, obj, form, change):
        """Already saved by the service while the form was validated."""

    def save_related(self, request, form, formsets, change):
        """The service has set any many-to-many fields with its checks; only inlines are left."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


def audit_values(obj: models.Model) -> dict:
    """Every field of `obj` (but its id and its "updated at") in the form `core.audit.snapshot` stores, with file
    fields as their names and many-to-many fields as sorted lists of ids."""
    fields = [
        field
        for field in obj._meta.concrete_fields
        if not field.primary_key and not getattr(field, "auto_now", False)  # "updated at" changes on every save
    ]
    plain = [field.name for field in fields if not isinstance(field, models.FileField)]
    values = snapshot(obj, plain)
    for field in fields:
        if isinstance(field, models.FileField):
            values[field.name] = getattr(obj, field.attname).name or ""
    for field in obj._meta.many_to_many:
        values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True)) if obj.pk else []
    return values


def _hide(changes: dict, hidden) -> dict:
    """`changes` with the values of hidden fields (a password's hash) replaced: the event says only that they
    changed."""
    return {
        name: [None if value is None else HIDDEN for value in values] if name in hidden else values
        for name, values in changes.items()
    }
