// The attribute type keywords each distinguished-name form uses: the registered names RFC 4514
// writes, the ones .NET (and Windows) print, and every keyword the parser reads.

import {
  OID_BUSINESS_CATEGORY,
  OID_C,
  OID_CN,
  OID_DC,
  OID_DESCRIPTION,
  OID_DN_QUALIFIER,
  OID_EMAIL,
  OID_GENERATION_QUALIFIER,
  OID_GIVEN_NAME,
  OID_INITIALS,
  OID_JURISDICTION_C,
  OID_JURISDICTION_L,
  OID_JURISDICTION_ST,
  OID_L,
  OID_MAIL,
  OID_NAME,
  OID_O,
  OID_ORGANIZATION_IDENTIFIER,
  OID_OU,
  OID_PHONE,
  OID_POSTAL_CODE,
  OID_PO_BOX,
  OID_PSEUDONYM,
  OID_SERIAL_NUMBER,
  OID_ST,
  OID_STREET,
  OID_SURNAME,
  OID_TITLE,
  OID_TPM_MANUFACTURER,
  OID_TPM_MODEL,
  OID_TPM_VERSION,
  OID_UID,
  OID_UNSTRUCTURED_NAME,
  OID_X21_ADDRESS,
} from '../oids.ts';

// RFC 4514 §2.3: a type is written by its short name when that name is registered for it in
// IANA's LDAP "Object Identifier Descriptors" registry (RFC 4520 §3.4), else as a dotted OID.
// Each line cites the registry's reference; where it lists two names (cn/commonName,
// email/emailAddress) the one written is RFC 4514 §3's, else the one OpenSSL prints.
// organizationIdentifier, unstructuredName, the EV jurisdiction* and TCG types are not registered.
export const RFC4514_KEYWORDS: ReadonlyMap<string, string> = new Map([
  // RFC 4519, and RFC 4514 §3's table:
  [OID_CN, 'CN'],
  [OID_L, 'L'],
  [OID_ST, 'ST'],
  [OID_O, 'O'],
  [OID_OU, 'OU'],
  [OID_C, 'C'],
  [OID_STREET, 'STREET'],
  [OID_DC, 'DC'],
  [OID_UID, 'UID'],
  // The registry's other name types:
  [OID_SURNAME, 'SN'], // RFC 4519 sn/surname
  [OID_SERIAL_NUMBER, 'serialNumber'], // RFC 4519
  [OID_TITLE, 'title'], // RFC 4519
  [OID_DESCRIPTION, 'description'], // RFC 4519
  [OID_BUSINESS_CATEGORY, 'businessCategory'], // RFC 4519
  [OID_POSTAL_CODE, 'postalCode'], // RFC 4519
  [OID_PO_BOX, 'postOfficeBox'], // RFC 4519
  [OID_PHONE, 'telephoneNumber'], // RFC 4519
  [OID_X21_ADDRESS, 'x121Address'], // RFC 4519
  [OID_NAME, 'name'], // RFC 4519
  [OID_GIVEN_NAME, 'givenName'], // RFC 4519 ('GN' is reserved there, not registered)
  [OID_INITIALS, 'initials'], // RFC 4519
  [OID_GENERATION_QUALIFIER, 'generationQualifier'], // RFC 4519
  [OID_DN_QUALIFIER, 'dnQualifier'], // RFC 4519
  [OID_PSEUDONYM, 'pseudonym'], // RFC 3280
  [OID_EMAIL, 'emailAddress'], // RFC 3280 email/emailAddress
  [OID_MAIL, 'mail'], // RFC 4524 mail/RFC822Mailbox
]);

// The attribute keywords of .NET's OidLookup table (dotnet/runtime
// src/libraries/Common/src/System/Security/Cryptography/OidLookup.cs), which copies the names
// Windows' CryptoAPI prints; X500NameEncoder writes "OID.<dotted>" for any other type.
export const DOTNET_KEYWORDS: ReadonlyMap<string, string> = new Map([
  [OID_CN, 'CN'],
  [OID_OU, 'OU'],
  [OID_O, 'O'],
  [OID_L, 'L'],
  [OID_ST, 'S'],
  [OID_C, 'C'],
  [OID_EMAIL, 'E'],
  [OID_STREET, 'STREET'],
  [OID_DC, 'DC'],
  [OID_SERIAL_NUMBER, 'SERIALNUMBER'],
  [OID_GIVEN_NAME, 'G'],
  [OID_SURNAME, 'SN'],
  [OID_TITLE, 'T'],
  [OID_INITIALS, 'I'],
  [OID_DESCRIPTION, 'Description'],
  [OID_DN_QUALIFIER, 'dnQualifier'],
  [OID_PHONE, 'Phone'],
  [OID_PO_BOX, 'POBox'],
  [OID_POSTAL_CODE, 'PostalCode'],
  [OID_X21_ADDRESS, 'X21Address'],
  [OID_TPM_MANUFACTURER, 'TPMManufacturer'],
  [OID_TPM_MODEL, 'TPMModel'],
  [OID_TPM_VERSION, 'TPMVersion'],
]);

// Keywords accepted when parsing (upper case): every name RFC4514_KEYWORDS writes, the other
// registered names (RFC 4519, RFC 4524), the Windows/.NET names and OpenSSL's short and long names.
export const KEYWORD_OIDS: ReadonlyMap<string, string> = new Map([
  ['CN', OID_CN], ['COMMONNAME', OID_CN],
  ['SN', OID_SURNAME], ['SURNAME', OID_SURNAME],
  ['SERIALNUMBER', OID_SERIAL_NUMBER],
  ['C', OID_C], ['COUNTRYNAME', OID_C],
  ['L', OID_L], ['LOCALITYNAME', OID_L],
  ['ST', OID_ST], ['S', OID_ST], ['STATEORPROVINCENAME', OID_ST],
  ['STREET', OID_STREET], ['STREETADDRESS', OID_STREET],
  ['O', OID_O], ['ORGANIZATIONNAME', OID_O],
  ['OU', OID_OU], ['ORGANIZATIONALUNITNAME', OID_OU],
  ['T', OID_TITLE], ['TITLE', OID_TITLE],
  ['DESCRIPTION', OID_DESCRIPTION],
  ['BUSINESSCATEGORY', OID_BUSINESS_CATEGORY],
  ['POSTALCODE', OID_POSTAL_CODE],
  ['POBOX', OID_PO_BOX], ['POSTOFFICEBOX', OID_PO_BOX],
  ['PHONE', OID_PHONE], ['TELEPHONENUMBER', OID_PHONE],
  ['X121ADDRESS', OID_X21_ADDRESS], ['X21ADDRESS', OID_X21_ADDRESS],
  ['NAME', OID_NAME],
  ['G', OID_GIVEN_NAME], ['GN', OID_GIVEN_NAME], ['GIVENNAME', OID_GIVEN_NAME],
  ['I', OID_INITIALS], ['INITIALS', OID_INITIALS],
  ['GENERATIONQUALIFIER', OID_GENERATION_QUALIFIER],
  ['DNQUALIFIER', OID_DN_QUALIFIER],
  ['PSEUDONYM', OID_PSEUDONYM],
  ['ORGANIZATIONIDENTIFIER', OID_ORGANIZATION_IDENTIFIER],
  ['DC', OID_DC], ['DOMAINCOMPONENT', OID_DC],
  ['UID', OID_UID], ['USERID', OID_UID],
  ['MAIL', OID_MAIL], ['RFC822MAILBOX', OID_MAIL],
  ['E', OID_EMAIL], ['EMAIL', OID_EMAIL], ['EMAILADDRESS', OID_EMAIL],
  ['UNSTRUCTUREDNAME', OID_UNSTRUCTURED_NAME],
  ['JURISDICTIONL', OID_JURISDICTION_L], ['JURISDICTIONLOCALITYNAME', OID_JURISDICTION_L],
  ['JURISDICTIONST', OID_JURISDICTION_ST], ['JURISDICTIONSTATEORPROVINCENAME', OID_JURISDICTION_ST],
  ['JURISDICTIONC', OID_JURISDICTION_C], ['JURISDICTIONCOUNTRYNAME', OID_JURISDICTION_C],
  ['TPMMANUFACTURER', OID_TPM_MANUFACTURER],
  ['TPMMODEL', OID_TPM_MODEL],
  ['TPMVERSION', OID_TPM_VERSION],
]);
