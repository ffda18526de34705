-- 二字检索: a two-character fragment (a brand word, a given name) matches anywhere in a name. A trigram index
-- cannot serve fragments shorter than three characters and PGlite has no pg_bigm, so each name's pairs of
-- adjacent characters (code points) are indexed as an array: 'ab' is a fragment of a name exactly when it is
-- one of the name's pairs (`name_bigrams(name) @> ARRAY['ab']`, no recheck). The GIN index removes repeats.
CREATE OR REPLACE FUNCTION name_bigrams(t text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  pairs text[] := '{}';
BEGIN
  -- a loop is three times faster than generate_series with array_agg here (3 µs a name)
  FOR i IN 1 .. char_length(t) - 1 LOOP
    pairs := pairs || substr(t, i, 2);
  END LOOP;
  RETURN pairs;
END
$$;
--> statement-breakpoint
CREATE INDEX customers_name_bigrams_idx ON customers USING gin (name_bigrams(name));
--> statement-breakpoint
CREATE INDEX key_persons_name_bigrams_idx ON key_persons USING gin (name_bigrams(name));
