// @peculiar/x509 (used only to generate test certificates) needs reflect-metadata at import.
import 'reflect-metadata';
