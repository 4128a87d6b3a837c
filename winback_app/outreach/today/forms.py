"""Today's view in its address: whose call-backs (mine or the team's) and the hit-ratio period."""

from wtforms import SelectChoice, SelectField

from winback_app.forms import ListFilterForm
from winback_app.outreach.today.services import PERIODS


class TodayFilterForm(ListFilterForm):
    """Mine or the team's, and the days the hit ratios look back; other values are dropped."""

    view = SelectField(choices=[SelectChoice("", "Mine"), SelectChoice("team", "Team")], default="")
    period = SelectField(
        "Over the last",
        coerce=int,
        choices=[SelectChoice(days, f"{days} days") for days in PERIODS],
        default=PERIODS[0],
    )

    @property
    def team(self) -> bool:
        return self.view.data == "team"
