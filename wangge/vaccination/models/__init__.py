from .census import CensusAnswer
from .day import OBSERVATION, FollowUp, Visit
from .doses import Dose, VaccinationStatus
from .outreach import Appointment, Contact
from .points import Elder, VaccinationPoint

__all__ = ["OBSERVATION", "Appointment", "CensusAnswer", "Contact", "Dose", "Elder", "FollowUp", "VaccinationPoint",
           "VaccinationStatus", "Visit"]
