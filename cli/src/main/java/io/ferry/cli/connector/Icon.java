package io.ferry.cli.connector;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * The connector's icon, drawn in code so the package needs no binary in the repository: a white ferry
 * on the brand colour, 230 × 230 pixels as Power Automate's connector guidelines ask. Shapes only, no
 * text, so it renders the same on a headless server without fonts.
 */
final class Icon {

  static final int SIZE = 230;

  private Icon() {}

  static byte[] png(Color brand) {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
      g.setColor(brand);
      g.fillRect(0, 0, SIZE, SIZE);
      g.setColor(Color.WHITE);
      g.fillPolygon(new Polygon(new int[] {40, 190, 170, 60}, new int[] {130, 130, 165, 165}, 4)); // hull
      g.fillRect(80, 100, 70, 24);  // deck house
      g.fillRect(100, 70, 16, 28);  // funnel
      for (int x = 40; x < 190; x += 30) { // waves
        g.fillRect(x, 178, 20, 6);
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException("could not encode the icon", e);
    }
    return out.toByteArray();
  }
}
