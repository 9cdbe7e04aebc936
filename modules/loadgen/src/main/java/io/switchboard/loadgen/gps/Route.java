package io.switchboard.loadgen.gps;

/**
 * One simulated driver's way: a loop around its own centre in the city, at its own speed, so every driver moves
 * all the time at a plausible speed (the ingest filters reject impossible jumps).
 */
record Route(double centreLat, double centreLon, double radiusM, double speedKmh, double phase) {

  private static final double M_PER_DEG_LAT = 111_320;

  static Route forDriver(int i, double cityLat, double cityLon) {
    java.util.Random r = new java.util.Random(i * 7919L + 17);
    double offsetN = (r.nextDouble() - 0.5) * 12_000;
    double offsetE = (r.nextDouble() - 0.5) * 12_000;
    double lat = cityLat + offsetN / M_PER_DEG_LAT;
    double lon = cityLon + offsetE / (M_PER_DEG_LAT * Math.cos(Math.toRadians(cityLat)));
    return new Route(lat, lon, 300 + r.nextDouble() * 1_700, 20 + r.nextDouble() * 35, r.nextDouble() * 2 * Math.PI);
  }

  /** Where the driver is at {@code millis}: {lat, lon, heading (degrees), speed (km/h)}. */
  double[] at(long millis) {
    double omega = speedKmh / 3.6 / radiusM; // rad/s
    double angle = phase + omega * (millis / 1000.0);
    double north = radiusM * Math.sin(angle);
    double east = radiusM * Math.cos(angle);
    double lat = centreLat + north / M_PER_DEG_LAT;
    double lon = centreLon + east / (M_PER_DEG_LAT * Math.cos(Math.toRadians(centreLat)));
    // Counter-clockwise: the direction of travel is the tangent, 90 degrees ahead of the radius.
    double heading = (Math.toDegrees(Math.atan2(Math.cos(angle), -Math.sin(angle))) + 360) % 360;
    return new double[] {lat, lon, heading, speedKmh};
  }
}
