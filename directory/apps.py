from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Directory"

    def ready(self) -> None:
        from audit.actions import actions_register
        from directory.models import ChangeAction, NodeAction

        actions_register(ChangeAction)
        actions_register(NodeAction)
