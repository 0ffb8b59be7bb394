/// Rules about backward compatibility, data loss, type hygiene and SQLite.
let compatibilityAndSQLiteRules: [any Rule] = []
