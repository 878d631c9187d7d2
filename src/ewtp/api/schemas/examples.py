"""OpenAPI example literals, apart from the schemas so each schema module reads as its fields.

The values are illustrative (the S10 numbers carry a valid check digit). Tests post
`QUOTE_REQUEST` as a known-good body.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "BOOK_EXAMPLES",
    "CUSTOMS_RECORDS_EXAMPLES",
    "LANDED_COST_EXAMPLE",
    "QUOTE_EXAMPLES",
    "QUOTE_REQUEST",
    "QUOTE_REQUEST_EXAMPLES",
    "SHIPMENTS_EXAMPLES",
    "SHIPMENT_EXAMPLES",
    "SHIPMENT_FROM_QUOTE_EXAMPLES",
    "SHIPMENT_IMPORT_EXAMPLES",
]

QUOTE_REQUEST: dict[str, Any] = {
    "sender": {
        "name": "Hangzhou Gadgets Co",
        "lines": ["88 Wensan Road"],
        "city": "Hangzhou",
        "postal_code": "310000",
        "country": "CN",
        "phone": "+86 571 0000 0000",
        "email": "shop@example.cn",
    },
    "recipient": {
        "name": "Marie Dupont",
        "lines": ["12 rue de Rivoli"],
        "city": "Paris",
        "postal_code": "75001",
        "country": "FR",
        "email": "marie@example.com",
    },
    "parcels": [
        {
            "weight_kg": "0.8",
            "length_cm": "30",
            "width_cm": "20",
            "height_cm": "10",
            "items": [
                {
                    "description": "Cotton T-shirt",
                    "hs_code": "610910",
                    "quantity": 2,
                    "unit_value": "12.50",
                    "currency": "EUR",
                    "origin_country": "CN",
                }
            ],
        }
    ],
    "incoterm": "DDP",
}


QUOTE_REQUEST_EXAMPLES: list[Any] = [QUOTE_REQUEST]
QUOTE_EXAMPLES: list[Any] = [
    {
        "id": "0b6f5a4e-0000-4000-8000-000000000000",
        "origin_hub": "HGH",
        "ready_at": "2026-11-22T10:00:00Z",
        "expires_at": "2026-11-22T10:30:00Z",
        "options": [
            {
                "id": "6f1c2b8e-0000-4000-8000-000000000000",
                "service_level": "express",
                "delivered_by": "2026-11-24T18:00:00Z",
                "promise_met": True,
                "legs": [
                    {
                        "service_id": "CK-HGH-LGG",
                        "mode": "air",
                        "origin": "HGH",
                        "destination": "LGG",
                        "departure_utc": "2026-11-22T14:00:00Z",
                        "arrival_utc": "2026-11-23T02:00:00Z",
                    }
                ],
                "co2_kg": "4.20",
                "chargeable_weight_kg": "1.200",
                "price": {
                    "transport": "21.80",
                    "duty": "3.00",
                    "vat": "5.64",
                    "consumption_tax": "0.00",
                    "fees": "0.00",
                    "total": "30.44",
                    "currency": "EUR",
                },
            }
        ],
    }
]
SHIPMENT_FROM_QUOTE_EXAMPLES: list[Any] = [
    {"quote_option_id": "6f1c2b8e-0000-4000-8000-000000000000"}
]
BOOK_EXAMPLES: list[Any] = [{"service_level": "standard"}]

_PARTY_EXAMPLE = {
    "name": "Marie Dupont",
    "lines": ["12 rue de Rivoli"],
    "city": "Paris",
    "postal_code": "75001",
    "country": "FR",
}
SHIPMENT_EXAMPLE: dict[str, Any] = {
    "id": "c3300368-0000-4000-8000-000000000000",
    "status": "booked",
    "tracking_number": "EE000000014CN",
    "reference": "ORDER-1001",
    "incoterm": "DDP",
    "origin_hub": "HGH",
    "destination_country": "FR",
    "service_level": "express",
    "quote_option_id": "6f1c2b8e-0000-4000-8000-000000000000",
    "delivered_by": "2026-11-24T16:55:00Z",
    "promise_met": True,
    "legs": [
        {
            "service_id": "AIR-HGH-LGG-1",
            "mode": "air",
            "origin": "HGH",
            "destination": "LGG",
            "departure_utc": "2026-11-22T18:00:00Z",
            "arrival_utc": "2026-11-23T05:15:00Z",
        }
    ],
    "price": {
        "transport": "20.41",
        "duty": "3.00",
        "vat": "10.08",
        "consumption_tax": "0.00",
        "fees": "2.00",
        "total": "35.49",
        "currency": "EUR",
    },
    "sender": {**_PARTY_EXAMPLE, "name": "Hangzhou Gadgets Co", "country": "CN"},
    "recipient": _PARTY_EXAMPLE,
    "created_at": "2026-11-22T04:54:17Z",
    "updated_at": "2026-11-22T04:55:02Z",
    "booked_at": "2026-11-22T04:55:02Z",
    "cancelled_at": None,
}


SHIPMENT_EXAMPLES: list[Any] = [SHIPMENT_EXAMPLE]
SHIPMENTS_EXAMPLES: list[Any] = [{"data": [SHIPMENT_EXAMPLE], "count": 1, "next_cursor": None}]
SHIPMENT_IMPORT_EXAMPLES: list[Any] = [
    {
        "created": 1,
        "shipments": [{**SHIPMENT_EXAMPLE, "status": "draft"}],
        "errors": [{"row": 2, "field": "hs_code", "message": "must be 6 to 10 digits"}],
    }
]
CUSTOMS_RECORDS_EXAMPLES: list[Any] = [
    {
        "shipment_id": "c3300368-0000-4000-8000-000000000000",
        "tracking_number": "EE000000014CN",
        "records": {
            "declaration_type": "H7",
            "assessment": {"currency": "EUR", "duty": "3.00", "vat": "10.08"},
            "declarations": {"declaration_type": "H7", "declaration": {}, "placi": {}},
        },
    }
]

LANDED_COST_EXAMPLE: dict[str, Any] = {
    "date": "2026-11-22", "origin_country": "CN", "destination_country": "FR",
    "currency": "EUR", "transport_cost": "5.00", "insurance_cost": "0",
    "seller_ioss": "IM0560000001", "scheme": "auto", "import_country": "BE",
    "items": [{"description": "Cotton T-shirt", "hs_code": "610910", "quantity": 2,
               "unit_value": "10.00", "origin_country": "CN", "weight_kg": "0.2",
               "battery": None}],
}  # fmt: skip
