from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "api.keys"
    # The label of the app this was before it moved under the front door: its tables (partners_apikey,
    # partners_idempotencyrecord) and its migration history are recorded under it, so it stays.
    label = "partners"
    verbose_name = "Partners and API keys"
