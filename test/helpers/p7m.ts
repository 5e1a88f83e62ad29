/**
 * Signed invoices for the tests, made at test time: a throwaway RSA key
 * (never written anywhere), a self-signed certificate built with pkijs, and a
 * CMS SignedData enveloping the XML, in DER and in base64 (as some
 * intermediaries deliver it). Close enough to a CAdES .p7m for what the app
 * does with it (open the envelope); no signed attributes, no real CA.
 */
import { generateKeyPairSync, webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import {
  AttributeTypeAndValue,
  Certificate,
  ContentInfo,
  CryptoEngine,
  EncapsulatedContentInfo,
  IssuerAndSerialNumber,
  SignedData,
  SignerInfo,
  setEngine,
} from 'pkijs';

const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };

setEngine('node-webcrypto', new CryptoEngine({ name: 'node-webcrypto', crypto: webcrypto as unknown as Crypto }));

async function throwawayKeys(): Promise<{ privateKey: CryptoKey; publicKey: CryptoKey }> {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const subtle = webcrypto.subtle as unknown as SubtleCrypto;
  const pkcs8 = pair.privateKey.export({ type: 'pkcs8', format: 'der' });
  const spki = pair.publicKey.export({ type: 'spki', format: 'der' });
  return {
    privateKey: await subtle.importKey('pkcs8', pkcs8, ALGORITHM, false, ['sign']),
    publicKey: await subtle.importKey('spki', spki, ALGORITHM, true, ['verify']),
  };
}

async function selfSigned(keys: { privateKey: CryptoKey; publicKey: CryptoKey }): Promise<Certificate> {
  const cert = new Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: Date.now() % 1_000_000 });
  const name = (cn: string) => new AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: cn }) });
  cert.issuer.typesAndValues.push(name('Fornitore di prova (chiave usa e getta)'));
  cert.subject.typesAndValues.push(name('Fornitore di prova (chiave usa e getta)'));
  cert.notBefore.value = new Date(Date.UTC(2025, 0, 1));
  cert.notAfter.value = new Date(Date.UTC(2027, 0, 1));
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey);
  await cert.sign(keys.privateKey, 'SHA-256');
  return cert;
}

let signerOnce: Promise<{ keys: { privateKey: CryptoKey; publicKey: CryptoKey }; cert: Certificate }> | null = null;

/** One throwaway key and certificate per process: a 2048-bit key takes a fraction of a second to make. */
function signer() {
  signerOnce ??= throwawayKeys().then(async (keys) => ({ keys, cert: await selfSigned(keys) }));
  return signerOnce;
}

/** A .p7m of `content`: DER bytes and the same bytes as base64 text with line breaks. */
export async function signP7m(content: Buffer): Promise<{ der: Buffer; base64: Buffer }> {
  const { keys, cert } = await signer();
  const signed = new SignedData({
    version: 1,
    encapContentInfo: new EncapsulatedContentInfo({
      eContentType: ContentInfo.DATA,
      eContent: new asn1js.OctetString({ valueHex: new Uint8Array(content).buffer }),
    }),
    signerInfos: [
      new SignerInfo({ version: 1, sid: new IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }) }),
    ],
    certificates: [cert],
  });
  await signed.sign(keys.privateKey, 0, 'SHA-256');
  const info = new ContentInfo({ contentType: ContentInfo.SIGNED_DATA, content: signed.toSchema(true) });
  const der = Buffer.from(info.toSchema().toBER(false));
  const base64 = Buffer.from(der.toString('base64').replace(/(.{76})/g, '$1\r\n'));
  return { der, base64 };
}
