from .applications import Application, ApplicationEvent, ApplicationFile, FileKind, file_path
from .pages import ApplicationPage
from .remedies import Outcome, RemedyCase, RemedyKind

__all__ = [
    "Application", "ApplicationEvent", "ApplicationFile", "ApplicationPage", "FileKind", "Outcome", "RemedyCase",
    "RemedyKind", "file_path",
]
