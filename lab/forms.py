"""Experiment sizes: bounded so one run stays within a few seconds."""

from django import forms

MAX_COLD_WARM_REQUESTS = 10  # about 10 s on a busy 2-core machine with the full shop
MAX_STREAM_REQUESTS = 2_000
MAX_KEYS = 200
MAX_STAMPEDE_REQUESTS = 16  # threads, each with its own database connection
MAX_FULL_CACHE_VALUES = 4_000  # 10 KB each: about five times the small servers' 8 MB


class ColdWarmForm(forms.Form):
    requests = forms.IntegerField(
        label="Requests per backend, cold and warm",
        min_value=1,
        max_value=MAX_COLD_WARM_REQUESTS,
        initial=5,
    )


class ServersForm(forms.Form):
    requests = forms.IntegerField(
        label="Requests in the stream", min_value=50, max_value=MAX_STREAM_REQUESTS, initial=800
    )
    keys = forms.IntegerField(
        label="Distinct pages (cache keys)", min_value=5, max_value=MAX_KEYS, initial=40
    )


class ColdStartForm(forms.Form):
    pass


class StampedeForm(forms.Form):
    requests = forms.IntegerField(
        label="Requests missing at once",
        min_value=2,
        max_value=MAX_STAMPEDE_REQUESTS,
        initial=8,
    )


class CachePageForm(forms.Form):
    pass


class RaceForm(forms.Form):
    pass


class FailoverForm(forms.Form):
    pass


class FullCacheForm(forms.Form):
    values = forms.IntegerField(
        label="Values of 10,000 characters written",
        min_value=100,
        max_value=MAX_FULL_CACHE_VALUES,
        initial=2_000,
    )


EXPERIMENT_FORMS: dict[str, type[forms.Form]] = {
    "cold-warm": ColdWarmForm,
    "servers": ServersForm,
    "cold-start": ColdStartForm,
    "stampede": StampedeForm,
    "cache-page": CachePageForm,
    "race": RaceForm,
    "failover": FailoverForm,
    "full-cache": FullCacheForm,
}


def experiment_form(kind: str, data=None) -> forms.Form:
    """Field ids carry the experiment's name: several forms share one page."""
    return EXPERIMENT_FORMS[kind](data, auto_id=f"{kind}-%s")


def first_error(form: forms.Form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else "Form"
        return f"{label}: {errors[0]}"
    return ""
