package io.ferry.sapsim;

import static io.ferry.sapsim.FieldMeta.chars;
import static io.ferry.sapsim.FieldMeta.date;
import static io.ferry.sapsim.FieldMeta.fltp;
import static io.ferry.sapsim.FieldMeta.int1;
import static io.ferry.sapsim.FieldMeta.int2;
import static io.ferry.sapsim.FieldMeta.integer;
import static io.ferry.sapsim.FieldMeta.numc;
import static io.ferry.sapsim.FieldMeta.packed;
import static io.ferry.sapsim.FieldMeta.raw;
import static io.ferry.sapsim.FieldMeta.string;
import static io.ferry.sapsim.FieldMeta.time;
import static io.ferry.sapsim.FieldMeta.xstring;

import java.util.List;

/**
 * The DDIC structures of the generic functions: BAPI_COMPANYCODE_GETLIST's list line, RFC_READ_TABLE's
 * three tables and STFC_STRUCTURE's RFCTEST, with SAP's field names, types and lengths; and the
 * simulator's own ZFERRY_ALL_TYPES, one field of every ABAP type JCo maps.
 */
final class RfcDdic {

  private RfcDdic() {}

  static final RecordMeta BAPI0002_1 = RecordMeta.of("BAPI0002_1",
      chars("COMP_CODE", 4, "Company Code"),
      chars("COMP_NAME", 25, "Name of Company Code or Company"));

  static final RecordMeta RFC_DB_OPT = RecordMeta.of("RFC_DB_OPT",
      chars("TEXT", 72, "Selection option (WHERE clause line)"));

  static final RecordMeta RFC_DB_FLD = RecordMeta.of("RFC_DB_FLD",
      chars("FIELDNAME", 30, "Field Name"),
      numc("OFFSET", 6, "Offset of the field in the data line"),
      numc("LENGTH", 6, "Length (No. of Characters)"),
      chars("TYPE", 1, "ABAP data type (C,D,N,...)"),
      chars("FIELDTEXT", 60, "Short Description of Repository Objects"));

  /** RFC_FUNCTION_SEARCH's result line. */
  static final RecordMeta RFCFUNC = RecordMeta.of("RFCFUNC",
      chars("FUNCNAME", 30, "Name of Function Module"),
      chars("GROUPNAME", 26, "Function group"),
      chars("APPL", 1, "Application"),
      chars("HOST", 8, "Host"),
      chars("STEXT", 74, "Short text for function module"));

  static final RecordMeta TAB512 = RecordMeta.of("TAB512",
      chars("WA", 512, "Data line (512 characters)"));

  /** STFC_STRUCTURE's test structure, as SAP's connector samples fill it. */
  static final RecordMeta RFCTEST = RecordMeta.of("RFCTEST",
      fltp("RFCFLOAT", "Floating point"),
      chars("RFCCHAR1", 1, "Character field, length 1"),
      int2("RFCINT2", "2-byte integer"),
      int1("RFCINT1", "1-byte integer"),
      chars("RFCCHAR4", 4, "Character field, length 4"),
      integer("RFCINT4", "4-byte integer"),
      raw("RFCHEX3", 3, "Byte field, length 3"),
      chars("RFCCHAR2", 2, "Character field, length 2"),
      time("RFCTIME", "Time"),
      date("RFCDATE", "Date"),
      chars("RFCDATA1", 50, "Character field, length 50"),
      chars("RFCDATA2", 50, "Character field, length 50"));

  /** The simulator's own (Z namespace): every type the JSON mapping has to carry, both ways. */
  static final RecordMeta ZFERRY_ALL_TYPES = RecordMeta.of("ZFERRY_ALL_TYPES",
      chars("CHAR10", 10, "Character field, 10 characters"),
      numc("NUMC8", 8, "Numeric text, 8 digits"),
      string("TEXT", "Text of any length (STRING)"),
      integer("INT4", "4-byte integer"),
      int2("INT2", "2-byte integer"),
      int1("INT1", "1-byte integer, unsigned"),
      packed("AMOUNT", 8, 2, "Packed number, 8 bytes, 2 decimals"),
      packed("QUANTITY", 8, 3, "Packed number, 8 bytes, 3 decimals"),
      fltp("FLOAT", "Floating point number"),
      date("DATE", "Date (YYYYMMDD)"),
      time("TIME", "Time (HHMMSS)"),
      raw("RAW16", 16, "Byte field, 16 bytes"),
      xstring("BYTES", "Byte string of any length (XSTRING)"));

  static final List<RecordMeta> ALL = List.of(BAPI0002_1, RFC_DB_OPT, RFC_DB_FLD, TAB512, RFCTEST, ZFERRY_ALL_TYPES);
}
