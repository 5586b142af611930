/**
 * The typed EDF/EDF+/BDF header that {@linkcode parseEdfHeader} returns.
 *
 * @module
 */

/** Which variant of the format a file is: 16-bit EDF or 24-bit BDF, plain or "+" (C/D). */
export type EdfFileType = "EDF" | "EDF+C" | "EDF+D" | "BDF" | "BDF+C" | "BDF+D";

/** What to do with recoverable oddities: collect a warning and go on, or throw. */
export type OnInvalid = "throw" | "warn";

/** EDF+ patient identification subfields ("code sex birthdate name ..."); "X" becomes null. */
export interface EdfPatient {
  code: string | null;
  sex: "F" | "M" | null;
  /** Birthdate as written ("dd-MMM-yyyy"), or null for "X". */
  birthdateText: string | null;
  /** Birthdate at 00:00 UTC, or null when unknown or unparseable. */
  birthdate: Date | null;
  name: string | null;
  /** Any further subfields, space-separated, as written. */
  additional: string;
}

/** EDF+ recording identification subfields ("Startdate dd-MMM-yyyy admin tech equipment ..."). */
export interface EdfRecording {
  /** The start date as written ("dd-MMM-yyyy"), or null for "X". */
  startdateText: string | null;
  adminCode: string | null;
  technician: string | null;
  equipment: string | null;
  /** Any further subfields, space-separated, as written. */
  additional: string;
}

/** One signal's header. */
export interface EdfSignalHeader {
  /** 0-based position among all signals (annotation signals included). */
  index: number;
  label: string;
  transducer: string;
  /** Physical dimension (unit) as written, e.g. "uV"; see {@linkcode voltsPerUnit}. */
  physicalDimension: string;
  physicalMin: number;
  physicalMax: number;
  digitalMin: number;
  digitalMax: number;
  prefilter: string;
  samplesPerRecord: number;
  /** samplesPerRecord / record duration; 0 when the record duration is 0. */
  sampleRateHz: number;
  /** True for "EDF Annotations" / "BDF Annotations" signals (TALs, not samples). */
  isAnnotation: boolean;
  /** Byte offset of this signal's samples within one data record. */
  recordByteOffset: number;
  reserved: string;
}

/** A parsed header. Numbers are numbers, texts have their padding removed. */
export interface EdfHeader {
  fileType: EdfFileType;
  /** "0" for EDF, "BIOSEMI" for BDF (whose version field is byte 0xFF + "BIOSEMI"). */
  version: string;
  /** Bytes per sample: 2 (EDF) or 3 (BDF). */
  bytesPerSample: 2 | 3;
  patientId: string;
  recordingId: string;
  /** EDF+ subfields of `patientId`, or null when the field does not follow EDF+. */
  patient: EdfPatient | null;
  /** EDF+ subfields of `recordingId`, or null when the field does not follow EDF+. */
  recording: EdfRecording | null;
  /** Start of the recording (UTC, second resolution), or null when the date is invalid. */
  startDate: Date | null;
  /** The "dd.mm.yy" and "hh.mm.ss" fields as written. */
  startDateText: string;
  startTimeText: string;
  /** Size of the header record in bytes: 256 * (1 + signalCount). */
  headerBytes: number;
  /** The 44-byte reserved field ("EDF+C", "24BIT", ...). */
  reserved: string;
  /** Number of data records as written (-1 means "unknown" and is inferred from the size). */
  declaredRecordCount: number;
  /** Number of data records the reader uses (inferred from the file size when declared -1). */
  recordCount: number;
  /** Duration of one data record in seconds; may be non-integer, e.g. 9.59375. */
  recordDurationSeconds: number;
  /** recordCount * recordDurationSeconds (the data's duration for EDF+C and plain EDF). */
  durationSeconds: number;
  /** Size of one data record in bytes. */
  recordBytes: number;
  signalCount: number;
  signals: EdfSignalHeader[];
  /** Recoverable oddities found while parsing, each with the default that was used. */
  warnings: string[];
}
