"""A table of figures in the admin form, laid out as the printed report's table: a row of inputs per row."""

from wagtail.admin.panels import Panel

from .forms import field_name


class FigureTablePanel(Panel):
    """`rows`: [(label, level, [figure keys] or None for a heading row)]; `columns`: the column headings."""

    def __init__(self, rows, columns, **kwargs):
        super().__init__(**kwargs)
        self.rows, self.columns = rows, columns

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "rows": self.rows, "columns": self.columns}

    def get_form_options(self):
        return {"fields": [field_name(key) for _label, _level, keys in self.rows for key in keys or ()]}

    class BoundPanel(Panel.BoundPanel):
        template_name = "reports/admin/figure_table_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["columns"] = self.panel.columns
            context["rows"] = [
                (label, level, [self.form[field_name(key)] for key in keys] if keys else None)
                for label, level, keys in self.panel.rows
            ]
            context["width"] = len(self.panel.columns) + 1
            return context
