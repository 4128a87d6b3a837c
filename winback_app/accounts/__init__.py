"""Lost accounts: reasons, competitors, contacts, search, import/export and history."""
