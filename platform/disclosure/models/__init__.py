from .applications import Application, ApplicationEvent, ApplicationFile, FileKind, file_path
from .pages import ApplicationPage

__all__ = ["Application", "ApplicationEvent", "ApplicationFile", "ApplicationPage", "FileKind", "file_path"]
