"""Posting Wagtail's page forms the way the admin does: the form's own fields, a few changed."""

from wagtail.test.utils.form_data import querydict_from_html, rich_text

ACTIONS = {"publish": {"action-publish": "action-publish"}, "draft": {}}


def page_form_data(client, url, changes):
    """The page form at `url` as the browser would submit it, with `changes` applied.

    Rich text values are given as HTML and converted to the editor's format.
    """
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    for name, value in changes.items():
        data[name] = value
    return data


def post_page_form(client, url, changes, *, action, rich_text_fields=()):
    changes = {name: rich_text(value) if name in rich_text_fields else value for name, value in changes.items()}
    data = page_form_data(client, url, changes)
    data.update(ACTIONS[action])
    return client.post(url, data)
