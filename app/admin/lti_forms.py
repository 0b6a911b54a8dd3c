"""The admin's form for an LMS connection (an LTI 1.3 platform registration)."""

from __future__ import annotations

from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.forms import Form

_URL = {"autocomplete": "off", "spellcheck": "false", "inputmode": "url"}


class PlatformForm(Form):
    name = StringField("Name", validators=[InputRequired(message="Name the connection."),
                                           Length(max=120)],
                       description="For you: “School Moodle”, “Canvas”.")
    issuer = StringField("Issuer (platform ID)", render_kw=_URL,
                         validators=[InputRequired(message="Give the LMS's issuer."),
                                     Length(max=255)],
                         description="Moodle: the site's address. Canvas: "
                                     "https://canvas.instructure.com.")
    client_id = StringField("Client ID", render_kw=_URL,
                            validators=[InputRequired(message="Give the client id."),
                                        Length(max=255)],
                            description="The LMS shows it once the tool is added.")
    deployment_ids = TextAreaField("Deployment IDs",
                                   validators=[InputRequired(message="Give a deployment id."),
                                               Length(max=4000)],
                                   description="One per line.")
    key_set_url = StringField("Public keyset URL", render_kw=_URL,
                              validators=[InputRequired(message="Give the keyset URL."),
                                          Length(max=500)])
    auth_login_url = StringField("Authentication request URL (OIDC)", render_kw=_URL,
                                 validators=[InputRequired(message="Give the URL."),
                                             Length(max=500)])
    auth_token_url = StringField("Access token URL", render_kw=_URL,
                                 validators=[InputRequired(message="Give the URL."),
                                             Length(max=500)])
    audience = StringField("Token audience (optional)", render_kw=_URL,
                           validators=[Optional(), Length(max=500)],
                           description="Only if the LMS asks for one; Moodle and Canvas "
                                       "do not.")
    submit = SubmitField("Save connection")
