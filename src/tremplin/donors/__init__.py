"""The contributors' space without an account and the tax receipts of gifts to organisations
entitled to them."""
