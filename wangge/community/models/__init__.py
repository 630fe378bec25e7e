from .care import CareVisit
from .compounds import Compound, Gate
from .duplicates import DuplicateSuggestion
from .residents import Resident
from .screening import ScreeningResult, ScreeningRound
from .supplies import Stock, SupplyItem, SupplyMovement, SupplySite

__all__ = ["CareVisit", "Compound", "DuplicateSuggestion", "Gate", "Resident", "ScreeningResult", "ScreeningRound",
           "Stock", "SupplyItem", "SupplyMovement", "SupplySite"]
