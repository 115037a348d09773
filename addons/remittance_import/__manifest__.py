{
    "name": "Healthcare Billing: Remittance Import (X12 835)",
    "summary": "Import X12 835 remittances: balance, match claims, post payments and adjustments, route exceptions",
    "version": "18.0.1.0.0",
    "category": "Accounting/Healthcare",
    "license": "LGPL-3",
    "author": "healthcare-billing",
    "website": "https://github.com/healthcare-billing/healthcare-billing",
    "development_status": "Alpha",
    "maintainers": ["healthcare-billing"],
    "depends": ["healthcare_billing_core"],
    "external_dependencies": {"python": []},
    "data": [],
    "installable": False,  # the Odoo layer is not finished: models only, no views, data or tests yet
}
