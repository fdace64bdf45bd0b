-- An approval request shows the environment variables the command sets (names and values): a
-- variable can change what an allowed program does, so the person deciding must see them.
ALTER TABLE approvals ADD COLUMN env_json TEXT;
