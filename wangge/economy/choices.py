from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.TextChoices):
    FINANCE = "finance", _("finance and insurance")
    TECHNOLOGY = "technology", _("information technology")
    SERVICES = "services", _("business services")
    TRADE = "trade", _("wholesale and retail")
    MANUFACTURING = "manufacturing", _("manufacturing")
    LOGISTICS = "logistics", _("transport and logistics")
    HOSPITALITY = "hospitality", _("hotels and catering")
    REAL_ESTATE = "real_estate", _("real estate")
    OTHER = "other", _("other industry")


class Size(models.TextChoices):
    LARGE = "large", _("large")
    MEDIUM = "medium", _("medium")
    SMALL = "small", _("small")
    MICRO = "micro", _("micro")


class EnterpriseStatus(models.TextChoices):
    ACTIVE = "active", _("in business")
    SUSPENDED = "suspended", _("business suspended")
    MOVED_OUT = "moved_out", _("moved out")
    DEREGISTERED = "deregistered", _("deregistered")


class OperatingStatus(models.TextChoices):
    """How the enterprise is running on the day of a visit."""

    NORMAL = "normal", _("operating normally")
    PARTLY = "partly", _("partly operating")
    SUSPENDED = "suspended", _("suspended")


class Impact(models.TextChoices):
    NONE = "none", _("no impact")
    SLIGHT = "slight", _("slight")
    SERIOUS = "serious", _("serious")
    SEVERE = "severe", _("severe")


class ImpactArea(models.TextChoices):
    """Where the epidemic hurts an enterprise (several may apply)."""

    ORDERS = "orders", _("orders")
    SUPPLY_CHAIN = "supply_chain", _("supply chain")
    LOGISTICS = "logistics", _("logistics")
    STAFF = "staff", _("staffing")
    CASH_FLOW = "cash_flow", _("cash flow")


class DemandCategory(models.TextChoices):
    """Categories of enterprise demands (DOMAIN.md); each is routed to a department by DemandRoute."""

    RENT_RELIEF = "rent_relief", _("rent relief")
    FINANCING = "financing", _("financing, loans and guarantees")
    STAFF = "staff", _("staff and hiring")
    SUPPLY_CHAIN = "supply_chain", _("supply chain, logistics and passes")
    RESUMPTION = "resumption", _("resuming work and protective supplies")
    POLICY = "policy", _("policy advice and applications")
    TAX = "tax", _("tax and fees")
    PREMISES = "premises", _("business premises")
    PERMITS = "permits", _("licences and approvals")
    OTHER = "other", _("other")


# Default routing (department codes from wangge/core/demo.py::DEPARTMENTS). A code with no department
# in the database leaves the route empty: such demands go to the town level for manual assignment.
DEFAULT_ROUTES = {
    DemandCategory.RENT_RELIEF: "JFB", DemandCategory.FINANCING: "JFB", DemandCategory.STAFF: "JFB",
    DemandCategory.SUPPLY_CHAIN: "CYZX", DemandCategory.RESUMPTION: "PAB", DemandCategory.POLICY: "JFB",
    DemandCategory.TAX: "JFB", DemandCategory.PREMISES: "GJB", DemandCategory.PERMITS: "SJS",
    DemandCategory.OTHER: "JFB",
}
