import ArgumentParser
import ShiftCLI

SafeShiftCommand.main()
