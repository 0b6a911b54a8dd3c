"""Glue between the pure domain and the database. Services own the transactions:
each public function either commits everything it changed or rolls it all back."""
