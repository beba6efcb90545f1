-- Agents enrolled with a key pair: the relay keeps their public key (base64 X.509 SubjectPublicKeyInfo)
-- and, for a short overlap after a rotation, the previous one. Such agents have no bearer key: their
-- key_hash is '-', which matches nothing.
ALTER TABLE agents ADD COLUMN public_key TEXT;
ALTER TABLE agents ADD COLUMN previous_public_key TEXT;
ALTER TABLE agents ADD COLUMN previous_key_until BIGINT;
