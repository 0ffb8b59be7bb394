/// Rules about locks, rewrites, scans and transactions (beyond the first ten).
let lockingAndRewriteRules: [any Rule] = []
