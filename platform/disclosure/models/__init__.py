from .applications import Application, ApplicationEvent, ApplicationFile, FileKind, file_path
from .guide import GuidePage, RulesPage
from .pages import ApplicationPage
from .remedies import Outcome, RemedyCase, RemedyKind

__all__ = [
    "Application", "ApplicationEvent", "ApplicationFile", "ApplicationPage", "FileKind", "GuidePage", "Outcome",
    "RemedyCase", "RemedyKind", "RulesPage", "file_path",
]
