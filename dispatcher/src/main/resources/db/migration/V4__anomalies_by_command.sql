-- GET /v1/commands/{id} of a LOST or EXPIRED command shows a result that came after it: found by command.
CREATE INDEX anomalies_command ON anomalies (command_id);
