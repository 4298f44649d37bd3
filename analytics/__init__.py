"""Analytics logic behind the journey, attribution and sentiment marts (called from dbt Python models)."""
