import QRCode from 'qrcode';

/**
 * The join link as a QR code: an SVG drawn here on the server (no third party sees the link), with
 * an accessible name. The link itself is printed beside it in text.
 */
export async function joinLinkQrSvg(link: string): Promise<string> {
  const svg = await QRCode.toString(link, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return svg.replace(
    '<svg ',
    '<svg class="sharon-qr" role="img" aria-label="QR code of the join link. Scan it with a phone camera to open the link." focusable="false" ',
  );
}
