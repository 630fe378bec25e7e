from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.coords import LABELS, System
from wangge.core.forms import BootstrapMixin

from .services import LEVELS


class BoundaryImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Boundary file"), help_text=_("GeoJSON (.geojson) or a zipped Shapefile (.zip "
                                                                 "with .shp, .shx, .dbf and .prj)."))
    level = forms.ChoiceField(label=_("The features are"), choices=list(LEVELS.items()))
    system = forms.ChoiceField(label=_("Coordinate system of the file"), choices=[(k.value, LABELS[k]) for k in System])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()
