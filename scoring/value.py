"""Customer lifetime value: what keeping the customer is worth in money."""

from __future__ import annotations

RETENTION_FLOOR = 0.5
RETENTION_CAP = 0.95


def retention_rate(company_loyalty: float, share: float) -> float:
    """Yearly chance the customer stays, from loyalty: 0.5 with none, 0.95 with full.

    Scaled by the share of the business still held, since a customer who has
    half gone is half as likely to renew in full.
    """
    loyalty = min(1.0, max(0.0, company_loyalty))
    return share * (RETENTION_FLOOR + (RETENTION_CAP - RETENTION_FLOOR) * loyalty)


def lifetime_value(yearly_margin: float, retention: float, interest: float) -> float:
    """m * r / (1 + i - r): the classic lifetime value of a retained customer.

    With r = 0.8 and i = 0.1 this is 2.67 years of margin.
    """
    if yearly_margin <= 0 or retention <= 0:
        return 0.0
    return yearly_margin * retention / (1.0 + interest - retention)
