-- Indexes for the questions researchers ask: by participant and time (the primary keys), by label,
-- and spatial on GPS points and stop centroids.
CREATE INDEX IF NOT EXISTS sensor_clean_time_idx ON sensor_clean (time);
CREATE INDEX IF NOT EXISTS activity_segments_label_idx ON activity_segments (predicted_label);
CREATE INDEX IF NOT EXISTS activity_segments_review_idx ON activity_segments (participant_virtual_id, segment_start) WHERE needs_review;
CREATE INDEX IF NOT EXISTS gps_clean_geom_idx ON gps_clean USING gist (geom);
CREATE INDEX IF NOT EXISTS gps_clean_hilbert_idx ON gps_clean (hilbert);
CREATE INDEX IF NOT EXISTS gps_episodes_type_idx ON gps_episodes (episode_type, participant_virtual_id);
CREATE INDEX IF NOT EXISTS gps_episodes_centroid_idx ON gps_episodes USING gist (centroid);
CREATE INDEX IF NOT EXISTS activity_timeline_label_idx ON activity_timeline (final_label);
CREATE INDEX IF NOT EXISTS activity_timeline_review_idx ON activity_timeline (participant_virtual_id, segment_start) WHERE needs_review;
CREATE INDEX IF NOT EXISTS exposure_daily_env_idx ON exposure_daily (micro_environment, day);
